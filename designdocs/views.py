from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def designdoc_list(request):
    return render(request, "designdocs/designdoc_list.html", {})
