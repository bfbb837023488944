from django.urls import path

from noturiba.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.sign_out, name="logout"),
    # Everything under two-factor/ stays reachable while a second factor is owed.
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/backup-codes/", views.two_factor_backup_codes, name="two_factor_backup_codes"),
    path(
        "two-factor/backup-codes/new/",
        views.two_factor_new_backup_codes,
        name="two_factor_new_backup_codes",
    ),
    path("two-factor/disable/", views.two_factor_disable, name="two_factor_disable"),
    path("password/", views.password_change, name="password_change"),
    path("tokens/", views.account, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.revoke_token, name="token_revoke"),
]
