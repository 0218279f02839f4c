URL = "https://45.77.12.9/payload"
