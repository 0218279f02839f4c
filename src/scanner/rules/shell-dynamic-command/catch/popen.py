import subprocess
def grep(pattern, path):
    return subprocess.run("grep " + pattern + " " + path, shell=True, capture_output=True)
