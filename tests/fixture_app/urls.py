from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path

from registry.urls import handler400, handler403, handler404, handler500  # noqa: F401
from registry.urls import urlpatterns as project_urlpatterns
from tests.fixture_app.models import FieldNote


@login_required
def note_list(request):
    return HttpResponse("".join(f"<p>{note.title}</p>" for note in FieldNote.objects.all()))


app_patterns = ([path("", note_list, name="note_list")], "fixture_app")

# The project's URLs plus the app's: ROOT_URLCONF of tests.fixture_app.settings.
urlpatterns = [path("field-notes/", include(app_patterns)), *project_urlpatterns]
