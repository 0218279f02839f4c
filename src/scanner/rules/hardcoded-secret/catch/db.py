DSN = "postgresql://admin:Sup3rS3cretPw@db.internal.example:5432/prod"
