from django.urls import path

from . import claim_views, organisation_views, views

app_name = "accounts"

urlpatterns = [
    path("users/", views.UserListView.as_view(), name="users"),
    path("users/new/", views.UserCreateView.as_view(), name="user-create"),
    path("users/<int:pk>/", views.UserEditView.as_view(), name="user-edit"),
    path("password/", views.OwnPasswordView.as_view(), name="password"),
    path("organisation/", organisation_views.OrganisationView.as_view(), name="organisation"),
    path(
        "departments/<slug:code>/",
        organisation_views.DepartmentEditView.as_view(),
        name="department-edit",
    ),
    path("counties/<str:code>/", organisation_views.CountyEditView.as_view(), name="county-edit"),
    path("claim/", claim_views.ClaimRegisterView.as_view(), name="claim"),
    path("claim/<uuid:token>/", claim_views.ClaimStatusView.as_view(), name="claim-status"),
    path("claims/", claim_views.ClaimListView.as_view(), name="claims"),
    path("claims/<int:pk>/", claim_views.ClaimDetailView.as_view(), name="claim-detail"),
]
