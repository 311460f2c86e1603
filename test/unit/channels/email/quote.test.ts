import { describe, expect, it } from 'vitest';
import { parseEmail } from '../../../../channels/email/parse.js';
import { newText, stripQuoted, stripSignature } from '../../../../channels/email/quote.js';
import { GMAIL_REPLY, OUTLOOK_HTML } from '../../../fixtures/emails.js';

describe('what the customer wrote this time', () => {
  it('Gmail on top of the history, with the sign-off kept and the quoted answer gone', async () => {
    const { text } = await parseEmail(Buffer.from(GMAIL_REPLY));
    expect(newText(text)).toBe('Thanks! And can I still change the delivery address to my office?\n\nKim');
  });

  it('Outlook HTML: the header block and what follows it are gone', async () => {
    const { text } = await parseEmail(Buffer.from(OUTLOOK_HTML));
    const mine = newText(text);
    expect(mine).toContain('Could you send the invoice again with our VAT number on it?');
    expect(mine).not.toContain('Here is your invoice');
    expect(mine).not.toContain('Sent:');
  });

  it('an "On … wrote:" line wrapped over two lines by the client', () => {
    const text = 'Yes, order 10432.\n\nOn Mon, Jun 3, 2024 at 10:05 AM Shop Support <\nsupport@shop.test> wrote:\n> Which order is it?\n';
    expect(stripQuoted(text)).toBe('Yes, order 10432.');
  });

  const histories: [string, string][] = [
    ['Danish (Apple Mail)', 'Den 3. jun. 2024 kl. 10.05 skrev Shop Support <support@shop.test>:'],
    ['Danish (Gmail)', 'Den man. 3. jun. 2024 kl. 10.05 skrev Shop Support <support@shop.test>:'],
    ['German', 'Am Mo., 3. Juni 2024 um 10:05 Uhr schrieb Shop Support <support@shop.test>:'],
    ['French', 'Le lun. 3 juin 2024 à 10:05, Shop Support <support@shop.test> a écrit :'],
    ['Dutch', 'Op ma 3 jun. 2024 om 10:05 schreef Shop Support <support@shop.test>:'],
    ['Spanish', 'El lun, 3 jun 2024 a las 10:05, Shop Support (<support@shop.test>) escribió:'],
    ['Outlook separator', '-----Original Message-----'],
    ['Outlook separator, Danish', '-----Oprindelig meddelelse-----'],
    ['Outlook separator, German', '-----Ursprüngliche Nachricht-----'],
  ];
  for (const [client, marker] of histories) {
    it(`history after "${client}" is cut`, () => {
      const text = `Tak, det hjælper.\n\n${marker}\nFrom: Shop Support\n\nStandard delivery takes 2-4 business days.\n`;
      expect(stripQuoted(text)).toBe('Tak, det hjælper.');
    });
  }

  it('Outlook header blocks in other languages (Fra/Sendt, Von/Gesendet, De/Envoyé, Van/Verzonden)', () => {
    for (const [from, sent] of [['Fra', 'Sendt'], ['Von', 'Gesendet'], ['De', 'Envoyé'], ['Van', 'Verzonden'], ['From', 'Sent']]) {
      const text = `Please cancel it.\n\n________________________________\n${from}: Shop Support <support@shop.test>\n${sent}: 3. juni 2024 10:05\nTo: Kim\nSubject: Order\n\nYour order has shipped.`;
      expect(stripQuoted(text), from).toBe('Please cancel it.');
      // Without the underscore rule, the block itself marks the history.
      expect(stripQuoted(text.replace('________________________________\n', '')), from).toBe('Please cancel it.');
    }
  });

  it('lines quoted with ">" are removed wherever they are, and an answer below the quote (bottom-posting) is kept', () => {
    expect(stripQuoted('> Which size?\nLarge, please.\n> And the colour?\nBlue.')).toBe('Large, please.\nBlue.');
    expect(stripQuoted('On Mon, 3 Jun 2024, Shop Support wrote:\n> Which size?\n\nLarge, please.')).toBe('Large, please.');
  });

  it('a line that merely mentions writing or a sender is not history', () => {
    const text = 'On Monday my neighbour wrote to you as well.\nFrom: the order confirmation I know it shipped.\nWhen will it arrive?';
    expect(stripQuoted(text)).toBe(text);
  });

  it('signatures: the "-- " delimiter and the phones\' lines, in several languages', () => {
    expect(stripSignature('Where is it?\n\n-- \nKim Jensen\nCEO, Example ApS\n+45 12 34 56 78')).toBe('Where is it?');
    for (const line of ['Sent from my iPhone', 'Sendt fra min iPhone', 'Von meinem iPhone gesendet', 'Envoyé de mon iPhone', 'Verzonden vanaf mijn iPhone',
      'Enviado desde mi iPhone', 'Get Outlook for Android', 'Sent from my Galaxy']) {
      expect(stripSignature(`Where is it?\n\n${line}`), line).toBe('Where is it?');
    }
    expect(stripSignature('Where is it?\n\nSent from my iPhone\n\n> quoted')).toBe('Where is it?');
  });

  it('a message with nothing new is empty', () => {
    expect(newText('On Mon, 3 Jun 2024, Shop Support <support@shop.test> wrote:\n> Anything else?\n\n-- \nKim')).toBe('');
  });
});
