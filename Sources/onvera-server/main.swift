print("onvera-server")
