import smtplib
def send(to, msg):
    with smtplib.SMTP("localhost") as s:
        s.sendmail("noreply@example.com", [to], msg)
