with open("notes/ssh-howto.md") as f:
    print(f.read())
