def run(src):
    exec(src, {})
