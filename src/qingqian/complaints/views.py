from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from qingqian.complaints import selectors


@login_required
def complaint_detail(request, pk):
    complaint = selectors.complaint_get(actor=request.user, pk=pk)
    return render(request, "complaints/complaint_detail.html", {"complaint": complaint})
