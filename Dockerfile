# The ML Design Registry image: one image for web (gunicorn), worker and beat.
# Python 3.13: supported by Django 5.2 and every locked dependency (wheels for it in the lock).
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's system libraries (Pango, HarfBuzz subsetting) and the fonts of the PDFs:
# Noto for Latin, Cyrillic, Greek and CJK, so that no script prints as boxes.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core \
        fonts-noto-core fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 registry \
    && useradd --system --uid 10001 --gid registry --home-dir /app --shell /usr/sbin/nologin registry

WORKDIR /app
# Every transitive dependency from the lock, each file checked against its PyPI hash: the
# image gets exactly what CI tested, and a tampered or substituted file fails the build.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY --chown=registry:registry . .

# Static files are collected (hashed and compressed) at build time; whitenoise serves them.
# The throwaway key only satisfies production mode for this one command.
RUN DJANGO_DEBUG=0 SECRET_KEY=collectstatic-only-not-a-secret ALLOWED_HOSTS=localhost \
        python manage.py collectstatic --noinput \
    && mkdir -p /app/media /app/run /app/.signing \
    && chown -R registry:registry /app/media /app/run /app/.signing

USER registry
EXPOSE 8000
CMD ["gunicorn", "registry.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--timeout", "60", "--access-logfile", "-"]
