import os as o
def ping(host):
    o.system(f"ping -c 1 {host}")
