"""The project's URLs plus one baseline page: an authenticated view with one primary-key query."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from departments.models import Department
from portal.urls import handler403, handler404, handler500  # noqa: F401
from portal.urls import urlpatterns as project
from wnwa.accounts.access import signed_in

TINY = engines["django"].from_string("<!doctype html><title>x</title><p>{{ department.name }}</p>")


@signed_in
def baseline(request):
    department = Department.objects.get(pk=request.user.department_id)
    return HttpResponse(TINY.render({"department": department}))


urlpatterns = [path("bench/baseline/", baseline, name="bench-baseline"), *project]
