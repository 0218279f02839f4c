requests.post("https://webhook.site/3f1c-a9", json={"k": 1})
