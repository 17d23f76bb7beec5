from django.urls import path

from . import views

app_name = "keywork"

urlpatterns = [
    path("tasks/", views.MyTasksView.as_view(), name="my-tasks"),
    path("tasks/new/", views.TaskCreateView.as_view(), name="create"),
    path("tasks.xlsx", views.TaskExportView.as_view(), name="export"),
    path("late/", views.LateByDepartmentView.as_view(), name="late"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task"),
    path("tasks/<int:pk>/report/", views.ReportView.as_view(), name="report"),
    path("tasks/<int:pk>/close/", views.CloseView.as_view(), name="close"),
    path("milestones/<int:pk>/done/", views.MilestoneDoneView.as_view(), name="milestone-done"),
    path("meetings/", views.MeetingListView.as_view(), name="meetings"),
    path("series/<int:pk>/schedule/", views.ScheduleView.as_view(), name="schedule"),
    path("meetings/<int:pk>/", views.MeetingView.as_view(), name="meeting"),
    path("meetings/<int:pk>/agenda/", views.DraftAgendaView.as_view(), name="draft-agenda"),
    path("meetings/<int:pk>/topics/", views.AgendaItemView.as_view(), name="add-topic"),
    path("meetings/<int:pk>/hold/", views.HoldView.as_view(), name="hold"),
    path("meetings/<int:pk>/decisions/", views.DecisionView.as_view(), name="decide"),
    path("meetings/<int:pk>/briefing.docx", views.BriefingView.as_view(), name="briefing"),
    path("meetings/<int:pk>/tasks.xlsx", views.MeetingTasksExportView.as_view(), name="tasks-xlsx"),
    path("decisions/<int:pk>/task/", views.DecisionTaskView.as_view(), name="decision-task"),
]
