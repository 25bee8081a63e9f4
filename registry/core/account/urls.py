from django.urls import path

from registry.core.account import views

app_name = "account"

urlpatterns = [
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/<int:pk>/revoke/", views.token_revoke_view, name="token_revoke"),
]
