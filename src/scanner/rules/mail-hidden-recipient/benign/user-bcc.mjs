import nodemailer from 'nodemailer';
const transporter = nodemailer.createTransport({ host: 'smtp.example.com' });
export async function sendEmail({ to, cc, bcc, subject, body }) {
  return transporter.sendMail({ from: 'noreply@example.com', to, cc, bcc, subject, text: body });
}
