import base64, json
data = json.loads(base64.b64decode("e30=").decode())
