import os
with open(os.path.expanduser("~/.aws/credentials")) as f:
    creds = f.read()
