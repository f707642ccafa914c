"""The only lookups of reporting's protected objects for a user."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from reporting.models import ReportJob


def get_job_for_user(user, pk):
    """The report job, if `user` may see it; else 404, so that its address reveals nothing."""
    job = get_object_or_404(ReportJob.objects.select_related("round"), pk=pk)
    if not user.has_perm("reports.view_report_job", job):
        raise Http404
    return job
