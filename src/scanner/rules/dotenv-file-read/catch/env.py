open(".env.production").read()
