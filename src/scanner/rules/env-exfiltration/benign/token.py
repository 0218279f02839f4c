import os, requests
requests.get("https://api.github.com/user", headers={"Authorization": "token " + os.environ["GITHUB_TOKEN"]})
