app_name = "fusion"

urlpatterns: list = []
