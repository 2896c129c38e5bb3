/**
 * The agreement page a consumer opens from the SMS or e-mail: one question, two buttons, in bokmål. Small and
 * accessible (a real <form> that works without script, labelled buttons, lang="nb", readable at 200 % zoom), no
 * external assets: nothing is fetched from anyone but us, so the page leaks the link to no third party.
 */
import { esc } from '../channels/email-message.js';

export type AgreementPageState =
  | { kind: 'ask'; supplierName: string; current?: 'accepted' | 'rejected' }
  | { kind: 'answered'; supplierName: string; decision: 'accepted' | 'rejected' }
  | { kind: 'invalid' }
  | { kind: 'expired' }
  | { kind: 'bad-answer' };

const STYLE = `body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#111}
button{font:inherit;padding:.6rem 1.2rem;margin:.3rem .6rem .3rem 0;border-radius:.3rem;border:2px solid #1a4d8f;cursor:pointer}
.yes{background:#1a4d8f;color:#fff}.no{background:#fff;color:#1a4d8f}button:focus{outline:3px solid #f2a900;outline-offset:2px}`;

export function agreementPageHtml(state: AgreementPageState): string {
  const [title, body] = content(state);
  return `<!doctype html>
<html lang="nb">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><main>
<h1>${esc(title)}</h1>
${body}
</main></body>
</html>
`;
}

function content(state: AgreementPageState): [string, string] {
  switch (state.kind) {
    case 'ask': {
      const s = esc(state.supplierName);
      const now =
        state.current === 'accepted'
          ? `<p>Du har allerede sagt ja. Du kan ombestemme deg her.</p>`
          : state.current === 'rejected'
            ? `<p>Du har allerede sagt nei. Du kan ombestemme deg her.</p>`
            : '';
      return [
        `eFaktura fra ${state.supplierName}`,
        `<p>${s} vil sende fakturaene sine til deg som eFaktura i nettbanken din.</p>
${now}
<form method="post">
<button type="submit" name="decision" value="accepted" class="yes">Ja, send eFaktura</button>
<button type="submit" name="decision" value="rejected" class="no">Nei takk</button>
</form>
<p>Svarer du nei, eller ikke i det hele tatt, får du fakturaen på e-post eller i posten som før.</p>`,
      ];
    }
    case 'answered':
      return state.decision === 'accepted'
        ? ['Takk!', `<p>Fra nå av får du fakturaer fra ${esc(state.supplierName)} som eFaktura i nettbanken.</p>`]
        : ['Takk for svaret', `<p>Du får fakturaer fra ${esc(state.supplierName)} på e-post eller i posten som før.</p>`];
    case 'expired':
      return ['Lenken er utløpt', '<p>Denne lenken virker ikke lenger. Du får en ny forespørsel med neste faktura.</p>'];
    case 'bad-answer':
      return ['Vi forsto ikke svaret', '<p>Gå tilbake og trykk på «Ja, send eFaktura» eller «Nei takk».</p>'];
    case 'invalid':
      return ['Lenken virker ikke', '<p>Sjekk at hele lenken fra SMS-en eller e-posten er med.</p>'];
  }
}
