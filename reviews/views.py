"""Pages of review (filled below)."""

from django.http import HttpResponse


def _todo(request, **kwargs):
    return HttpResponse("")


queue = my_docs = notifications = notifications_read = review_page = submit = decide = _todo
transition = comment_add = comment_operation = _todo
