from django.db import models
from django.urls import reverse


class FieldNote(models.Model):
    title = models.CharField("title", max_length=200)
    body = models.TextField("body", blank=True)

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("fixture_app:note_list") + f"#note-{self.pk}"
