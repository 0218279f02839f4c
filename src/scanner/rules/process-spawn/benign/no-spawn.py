def run(x):
    return x * 2
run(3)
