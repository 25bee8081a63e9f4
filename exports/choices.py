from django.db import models


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RENDERING = "rendering", "Rendering"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class SubjectKind(models.TextChoices):
    DESIGNDOC = "designdoc", "Design doc revision"
    SUBJECT = "subject", "Registered subject"
