app_name = "keywork"

urlpatterns: list = []
