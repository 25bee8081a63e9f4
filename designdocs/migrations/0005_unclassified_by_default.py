# A new design doc is "not yet classified" (stage and EU AI Act risk tier) until someone
# chooses; existing docs keep the values they have.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('designdocs', '0004_designdoc_other_notes'),
        ('teams', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='designdoc',
            name='designdocs_designdoc_valid_stage',
        ),
        migrations.RemoveConstraint(
            model_name='designdoc',
            name='designdocs_designdoc_valid_risk_tier',
        ),
        migrations.AlterField(
            model_name='designdoc',
            name='risk_tier',
            field=models.CharField(choices=[('unclassified', 'Not yet classified'), ('minimal', 'Minimal risk'), ('limited', 'Limited risk (transparency obligations)'), ('high', 'High risk'), ('unacceptable', 'Unacceptable risk (prohibited)')], default='unclassified', max_length=32, verbose_name='risk tier'),
        ),
        migrations.AlterField(
            model_name='designdoc',
            name='stage',
            field=models.CharField(choices=[('unclassified', 'Not yet classified'), ('problem_definition', 'Problem definition'), ('data_preparation', 'Data collection and preparation'), ('model_training', 'Model training'), ('error_analysis', 'Error analysis'), ('deployment', 'Deployment'), ('monitoring', 'Monitoring'), ('retired', 'Retired')], default='unclassified', max_length=32, verbose_name='ML lifecycle stage'),
        ),
        migrations.AddConstraint(
            model_name='designdoc',
            constraint=models.CheckConstraint(condition=models.Q(('stage__in', ['unclassified', 'problem_definition', 'data_preparation', 'model_training', 'error_analysis', 'deployment', 'monitoring', 'retired'])), name='designdocs_designdoc_valid_stage', violation_error_message='stage must be one of: unclassified, problem_definition, data_preparation, model_training, error_analysis, deployment, monitoring, retired.'),
        ),
        migrations.AddConstraint(
            model_name='designdoc',
            constraint=models.CheckConstraint(condition=models.Q(('risk_tier__in', ['unclassified', 'minimal', 'limited', 'high', 'unacceptable'])), name='designdocs_designdoc_valid_risk_tier', violation_error_message='risk_tier must be one of: unclassified, minimal, limited, high, unacceptable.'),
        ),
    ]
