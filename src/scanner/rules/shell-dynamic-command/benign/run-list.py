import subprocess
def grep(pattern, path):
    return subprocess.run(["grep", pattern, path], capture_output=True)
