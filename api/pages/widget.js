/**
 * customer-agent live chat for any site. Served as is by the API at /widget.js; no dependencies, no build.
 *
 *   <script src="https://<api host>/widget.js" data-agent="<agentId>" data-key="<widget key>" async></script>
 *
 * Optional attributes: data-mode="inline" (fill the element named by data-target, or sit where the tag
 * is, always open, no launcher), data-open (start opened), data-conversation="<id>" (continue this
 * conversation), data-details (under each answer: kind, language, confidence, status; for operators).
 * A site that knows its visitor adds data-customer-email, data-customer-name and data-identity-token (made
 * by the site's server: hex HMAC-SHA256 of the email, trimmed and lower-cased, under the workspace's
 * identity secret); they are read at each message, so a page may set them when its visitor signs in.
 *
 * Everything renders in a shadow root, so the host page's CSS and the widget's never meet. The API is
 * the script's own origin; the widget key is checked there against this page's Origin. The conversation
 * (id and token) is kept in localStorage per API and agent, so a reload or another page of the site
 * continues it. A person's replies and the system's notices arrive by polling the conversation while the
 * panel is open and the tab visible.
 */
(() => {
  'use strict';

  /** @type {HTMLScriptElement | null} */
  const script = /** @type {HTMLScriptElement | null} */ (document.currentScript)
    // An async or injected script may run after currentScript is cleared: take the first tag not yet started.
    || document.querySelector('script[src*="widget.js"][data-agent]:not([data-widget-started])');
  if (!script || script.hasAttribute('data-widget-started')) return;
  script.setAttribute('data-widget-started', '');

  const agentId = script.dataset.agent || '';
  const key = script.dataset.key || '';
  const api = new URL(script.src, location.href).origin;
  const inline = script.dataset.mode === 'inline';
  const details = script.hasAttribute('data-details');
  const fixedConversation = script.dataset.conversation || '';
  const storageKey = `customer-agent:${api}:${agentId}`;

  const POLL_MS = 3000;
  const MAX_ATTEMPTS = 6;
  const MAX_WAIT_S = 30;

  /**
   * @typedef {{ id: string, title: string, url?: string, snippet?: string, kind?: string, location?: string }} Source
   * @typedef {{ text: string, kind: string, sources: Source[], language: string, confidence: number }} Reply
   * @typedef {{ messageId: string, role: 'customer' | 'agent' | 'human' | 'system', userName?: string, text: string,
   *   kind?: string, language?: string, confidence?: number, sources?: Source[] }} Entry
   * @typedef {{ id: string, name: string, defaultLanguage?: string, available: boolean, greeting?: string }} Profile
   */

  // ---- storage: the conversation survives reloads; storage may be unavailable (private modes, sandboxes)

  /** @returns {{ conversationId?: string, token?: string }} */
  function loadConversation() {
    try {
      const saved = JSON.parse(localStorage.getItem(storageKey) || '{}');
      if (fixedConversation && saved.conversationId !== fixedConversation) return { conversationId: fixedConversation };
      return typeof saved.conversationId === 'string' ? saved : fixedConversation ? { conversationId: fixedConversation } : {};
    } catch {
      return fixedConversation ? { conversationId: fixedConversation } : {};
    }
  }
  function saveConversation() {
    try {
      localStorage.setItem(storageKey, JSON.stringify({ conversationId: state.conversationId, token: state.token }));
    } catch { /* not kept: the conversation lasts as long as the page */ }
  }
  const openKey = `${storageKey}:open`;
  function rememberOpen(open) {
    try {
      if (open) sessionStorage.setItem(openKey, '1');
      else sessionStorage.removeItem(openKey);
    } catch { /* not kept */ }
  }
  function wasOpen() {
    try {
      return sessionStorage.getItem(openKey) === '1';
    } catch {
      return false;
    }
  }

  const saved = loadConversation();
  const state = {
    /** @type {Profile | null} */ profile: null,
    conversationId: saved.conversationId || '',
    token: saved.token || '',
    /** @type {string | null} */ status: null,
    /** who of the team last wrote, for "… joined the conversation" */
    personName: '',
    /** role:messageId of every entry on screen */
    shown: new Set(),
    loaded: false,
    open: false,
    sending: 0,
    polling: false,
    /** @type {number | undefined} */ timer: undefined,
    /** no polling before this time (epoch ms): the API asked to wait */
    quietUntil: 0,
  };

  // ---- the DOM: a host element with a shadow root

  const host = document.createElement('customer-agent-chat');
  const root = host.attachShadow({ mode: 'open' });
  const style = `
    :host { all: initial; }
    :host { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d232b; }
    :host([data-inline]) { display: block; height: 100%; }
    *, *::before, *::after { box-sizing: border-box; }
    [hidden] { display: none !important; }
    button, textarea { font: inherit; }
    :focus-visible { outline: 3px solid #f2a900; outline-offset: 2px; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    .launcher { position: fixed; right: 16px; bottom: 16px; z-index: 2147483000; width: 56px; height: 56px; border-radius: 50%;
      border: 0; background: #2257d6; color: #fff; cursor: pointer; box-shadow: 0 4px 16px #0003; display: grid; place-items: center; }
    .launcher svg { width: 26px; height: 26px; }
    .panel { position: fixed; right: 16px; bottom: 84px; z-index: 2147483000; width: 380px; max-width: calc(100vw - 32px);
      height: 600px; max-height: calc(100vh - 100px); display: flex; flex-direction: column; background: #fff;
      border-radius: 14px; box-shadow: 0 8px 32px #0003; overflow: hidden; }
    :host([data-inline]) .panel { position: relative; right: auto; bottom: auto; width: 100%; max-width: 100%; height: 100%;
      max-height: none; border-radius: 0; box-shadow: 0 0 12px #0001; }
    @media (max-width: 480px) {
      :host(:not([data-inline])) .panel { inset: 0; width: 100vw; max-width: 100vw; height: 100%; max-height: 100%; border-radius: 0; }
    }
    header { display: flex; align-items: center; gap: 10px; padding: 12px 14px; background: #2257d6; color: #fff; }
    header .who { flex: 1; min-width: 0; }
    header h2 { margin: 0; font-size: 16px; overflow-wrap: anywhere; }
    header .badge { font-size: 12px; opacity: .9; }
    header .close { border: 0; background: transparent; color: #fff; font-size: 24px; line-height: 1; width: 36px; height: 36px; border-radius: 8px; cursor: pointer; }
    .state { padding: 6px 14px; background: #fff4d6; font-size: 13px; }
    .log { flex: 1; overflow-y: auto; overflow-x: hidden; padding: 14px; display: flex; flex-direction: column; gap: 10px; }
    .msg { max-width: 88%; padding: 9px 12px; border-radius: 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
    .customer { align-self: flex-end; background: #2257d6; color: #fff; }
    .agent, .greeting { align-self: flex-start; background: #eef1f4; }
    .agent.handoff { background: #fff4d6; }
    .agent.clarify { background: #e7f4ec; }
    .human { align-self: flex-start; background: #e3ecff; }
    .system { align-self: center; background: transparent; border: 1px dashed #c9d0d6; color: #55606b; font-size: 13px; }
    .msg a { color: #1a47b0; }
    .customer a { color: #fff; }
    .meta { font-size: 12px; color: #55606b; margin-top: 4px; white-space: normal; }
    .sources { margin: 6px 0 0; padding-left: 20px; font-size: 13px; white-space: normal; }
    .typing { padding: 0 14px 8px; color: #55606b; font-size: 13px; }
    .typing span { display: inline-block; width: 6px; height: 6px; margin-right: 3px; border-radius: 50%; background: #8a949e; animation: blink 1.2s infinite; }
    .typing span:nth-child(2) { animation-delay: .2s; } .typing span:nth-child(3) { animation-delay: .4s; }
    @keyframes blink { 50% { opacity: .25; } }
    @media (prefers-reduced-motion: reduce) { .typing span { animation: none; } }
    .suggestions { display: flex; flex-direction: column; align-items: flex-start; gap: 6px; padding: 0 14px 10px; }
    .suggestions button { text-align: left; border: 1px solid #2257d6; background: #fff; color: #1a47b0; border-radius: 16px; padding: 6px 12px; cursor: pointer; max-width: 100%; overflow-wrap: anywhere; }
    .error { margin: 0 14px 10px; padding: 8px 10px; border-radius: 8px; background: #fde8e8; color: #8a1c1c; font-size: 13px; }
    form { display: flex; gap: 8px; padding: 10px 12px; border-top: 1px solid #e3e7eb; }
    textarea { flex: 1; min-width: 0; resize: none; height: 44px; max-height: 120px; padding: 10px 12px; border: 1px solid #8a949e; border-radius: 8px; color: inherit; }
    .send { border: 0; border-radius: 8px; padding: 0 16px; background: #2257d6; color: #fff; cursor: pointer; }
    .send:disabled { opacity: .6; cursor: default; }
  `;
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    // A constructed sheet is not an inline <style>: a host page's strict CSP does not block it.
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(style);
    root.adoptedStyleSheets = [sheet];
  } else {
    const el = document.createElement('style');
    el.textContent = style;
    root.append(el);
  }

  /**
   * @param {string} tag
   * @param {Record<string, string | boolean>} [attrs]
   * @param {(Node | string)[]} [children]
   */
  function h(tag, attrs = {}, children = []) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value === false) continue;
      if (name === 'class') el.className = String(value);
      else el.setAttribute(name, value === true ? '' : value);
    }
    el.append(...children);
    return el;
  }

  /**
   * What the widget says, in the six languages the agent answers in; the visitor's browser language picks
   * one, English where it is none of them. Messages for the site's owner (a key that does not allow the
   * site) stay English.
   */
  const UI = {
    en: {
      openChat: 'Open chat', chat: 'Chat', powered: 'Powered by AI', closeChat: 'Close chat', conversation: 'Conversation',
      writing: 'The assistant is writing…', suggested: 'Suggested questions', placeholder: 'Type your question…', send: 'Send',
      yourMessage: 'Your message', sources: 'Sources', source: (/** @type {string} */ n, /** @type {string} */ t) => `Source ${n}: ${t}`,
      chatWith: (/** @type {string} */ n) => `Chat with ${n}`, waiting: 'Waiting for a person from our team…',
      joined: (/** @type {string} */ p) => `${p} joined the conversation`, someoneJoined: 'A person from our team joined the conversation',
      receivedTeam: 'Your message was received; a person from our team will answer here.',
      receivedOff: 'Your message was received; the assistant is not answering right now.',
      notSent: (/** @type {string} */ m) => `Your message could not be sent: ${m}.`,
      notSentConnection: 'Your message could not be sent: the connection failed. Please try again.',
      unreachable: 'The chat cannot reach its server right now. Please try again in a moment.',
      greeting: (/** @type {string} */ n) => `Hi! I'm ${n}. How can I help you today?`,
    },
    da: {
      openChat: 'Åbn chat', chat: 'Chat', powered: 'Drevet af AI', closeChat: 'Luk chat', conversation: 'Samtale',
      writing: 'Assistenten skriver…', suggested: 'Foreslåede spørgsmål', placeholder: 'Skriv dit spørgsmål…', send: 'Send',
      yourMessage: 'Din besked', sources: 'Kilder', source: (/** @type {string} */ n, /** @type {string} */ t) => `Kilde ${n}: ${t}`,
      chatWith: (/** @type {string} */ n) => `Chat med ${n}`, waiting: 'Venter på en person fra vores team…',
      joined: (/** @type {string} */ p) => `${p} har sluttet sig til samtalen`, someoneJoined: 'En person fra vores team har sluttet sig til samtalen',
      receivedTeam: 'Din besked er modtaget; en person fra vores team svarer her.',
      receivedOff: 'Din besked er modtaget; assistenten svarer ikke lige nu.',
      notSent: (/** @type {string} */ m) => `Din besked kunne ikke sendes: ${m}.`,
      notSentConnection: 'Din besked kunne ikke sendes: forbindelsen mislykkedes. Prøv igen.',
      unreachable: 'Chatten kan ikke nå sin server lige nu. Prøv igen om lidt.',
      greeting: (/** @type {string} */ n) => `Hej! Jeg er ${n}. Hvordan kan jeg hjælpe dig i dag?`,
    },
    nl: {
      openChat: 'Chat openen', chat: 'Chat', powered: 'Mogelijk gemaakt door AI', closeChat: 'Chat sluiten', conversation: 'Gesprek',
      writing: 'De assistent typt…', suggested: 'Voorgestelde vragen', placeholder: 'Typ je vraag…', send: 'Versturen',
      yourMessage: 'Je bericht', sources: 'Bronnen', source: (/** @type {string} */ n, /** @type {string} */ t) => `Bron ${n}: ${t}`,
      chatWith: (/** @type {string} */ n) => `Chat met ${n}`, waiting: 'Wachten op iemand van ons team…',
      joined: (/** @type {string} */ p) => `${p} neemt deel aan het gesprek`, someoneJoined: 'Iemand van ons team neemt deel aan het gesprek',
      receivedTeam: 'Je bericht is ontvangen; iemand van ons team antwoordt hier.',
      receivedOff: 'Je bericht is ontvangen; de assistent antwoordt op dit moment niet.',
      notSent: (/** @type {string} */ m) => `Je bericht kon niet worden verstuurd: ${m}.`,
      notSentConnection: 'Je bericht kon niet worden verstuurd: de verbinding is mislukt. Probeer het opnieuw.',
      unreachable: 'De chat kan zijn server nu niet bereiken. Probeer het zo opnieuw.',
      greeting: (/** @type {string} */ n) => `Hallo! Ik ben ${n}. Waarmee kan ik je vandaag helpen?`,
    },
    de: {
      openChat: 'Chat öffnen', chat: 'Chat', powered: 'Unterstützt durch KI', closeChat: 'Chat schließen', conversation: 'Unterhaltung',
      writing: 'Der Assistent schreibt…', suggested: 'Vorgeschlagene Fragen', placeholder: 'Ihre Frage eingeben…', send: 'Senden',
      yourMessage: 'Ihre Nachricht', sources: 'Quellen', source: (/** @type {string} */ n, /** @type {string} */ t) => `Quelle ${n}: ${t}`,
      chatWith: (/** @type {string} */ n) => `Chat mit ${n}`, waiting: 'Warten auf eine Person aus unserem Team…',
      joined: (/** @type {string} */ p) => `${p} ist der Unterhaltung beigetreten`, someoneJoined: 'Eine Person aus unserem Team ist der Unterhaltung beigetreten',
      receivedTeam: 'Ihre Nachricht ist angekommen; eine Person aus unserem Team antwortet hier.',
      receivedOff: 'Ihre Nachricht ist angekommen; der Assistent antwortet gerade nicht.',
      notSent: (/** @type {string} */ m) => `Ihre Nachricht konnte nicht gesendet werden: ${m}.`,
      notSentConnection: 'Ihre Nachricht konnte nicht gesendet werden: Die Verbindung ist fehlgeschlagen. Bitte versuchen Sie es erneut.',
      unreachable: 'Der Chat erreicht seinen Server gerade nicht. Bitte versuchen Sie es gleich noch einmal.',
      greeting: (/** @type {string} */ n) => `Hallo! Ich bin ${n}. Wie kann ich Ihnen heute helfen?`,
    },
    fr: {
      openChat: 'Ouvrir le chat', chat: 'Chat', powered: 'Propulsé par l’IA', closeChat: 'Fermer le chat', conversation: 'Conversation',
      writing: 'L’assistant écrit…', suggested: 'Questions suggérées', placeholder: 'Écrivez votre question…', send: 'Envoyer',
      yourMessage: 'Votre message', sources: 'Sources', source: (/** @type {string} */ n, /** @type {string} */ t) => `Source ${n} : ${t}`,
      chatWith: (/** @type {string} */ n) => `Discuter avec ${n}`, waiting: 'En attente d’une personne de notre équipe…',
      joined: (/** @type {string} */ p) => `${p} a rejoint la conversation`, someoneJoined: 'Une personne de notre équipe a rejoint la conversation',
      receivedTeam: 'Votre message a été reçu ; une personne de notre équipe répondra ici.',
      receivedOff: 'Votre message a été reçu ; l’assistant ne répond pas pour le moment.',
      notSent: (/** @type {string} */ m) => `Votre message n’a pas pu être envoyé : ${m}.`,
      notSentConnection: 'Votre message n’a pas pu être envoyé : la connexion a échoué. Veuillez réessayer.',
      unreachable: 'Le chat ne peut pas joindre son serveur pour le moment. Veuillez réessayer dans un instant.',
      greeting: (/** @type {string} */ n) => `Bonjour ! Je suis ${n}. Comment puis-je vous aider aujourd'hui ?`,
    },
    es: {
      openChat: 'Abrir chat', chat: 'Chat', powered: 'Con tecnología de IA', closeChat: 'Cerrar chat', conversation: 'Conversación',
      writing: 'El asistente está escribiendo…', suggested: 'Preguntas sugeridas', placeholder: 'Escribe tu pregunta…', send: 'Enviar',
      yourMessage: 'Tu mensaje', sources: 'Fuentes', source: (/** @type {string} */ n, /** @type {string} */ t) => `Fuente ${n}: ${t}`,
      chatWith: (/** @type {string} */ n) => `Chatear con ${n}`, waiting: 'Esperando a una persona de nuestro equipo…',
      joined: (/** @type {string} */ p) => `${p} se ha unido a la conversación`, someoneJoined: 'Una persona de nuestro equipo se ha unido a la conversación',
      receivedTeam: 'Hemos recibido tu mensaje; una persona de nuestro equipo responderá aquí.',
      receivedOff: 'Hemos recibido tu mensaje; el asistente no está respondiendo ahora.',
      notSent: (/** @type {string} */ m) => `No se pudo enviar tu mensaje: ${m}.`,
      notSentConnection: 'No se pudo enviar tu mensaje: falló la conexión. Inténtalo de nuevo.',
      unreachable: 'El chat no puede conectar con su servidor ahora. Inténtalo de nuevo en un momento.',
      greeting: (/** @type {string} */ n) => `¡Hola! Soy ${n}. ¿En qué puedo ayudarte hoy?`,
    },
  };
  const visitorLanguage = (navigator.language || '').slice(0, 2).toLowerCase();
  const ui = UI[/** @type {keyof typeof UI} */ (visitorLanguage)] || UI.en;

  const launcher = /** @type {HTMLButtonElement} */ (h('button', {
    class: 'launcher', type: 'button', 'aria-expanded': 'false', 'aria-controls': 'panel', 'aria-label': ui.openChat,
  }));
  launcher.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true" fill="currentColor"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>';
  const nameEl = h('h2', { id: 'agent-name' }, [ui.chat]);
  const badge = h('div', { class: 'badge', id: 'powered' }, [ui.powered]);
  const closeButton = h('button', { class: 'close', type: 'button', 'aria-label': ui.closeChat }, ['×']);
  const conversationEl = h('div', { class: 'badge', id: 'conv', hidden: !details });
  const stateEl = h('div', { class: 'state', id: 'handoff-state', role: 'status', hidden: true });
  const log = h('div', { class: 'log', id: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', tabindex: '0', 'aria-label': ui.conversation });
  const typing = h('div', { class: 'typing', id: 'typing', role: 'status', hidden: true }, [h('span'), h('span'), h('span'), h('span', { class: 'visually-hidden' }, [ui.writing])]);
  const suggestions = h('div', { class: 'suggestions', id: 'suggestions', role: 'group', 'aria-label': ui.suggested, hidden: true });
  const errorEl = h('div', { class: 'error', id: 'error', role: 'alert', hidden: true });
  const input = /** @type {HTMLTextAreaElement} */ (h('textarea', { id: 'text', rows: '1', maxlength: '8000', placeholder: ui.placeholder, autocomplete: 'off' }));
  const sendButton = /** @type {HTMLButtonElement} */ (h('button', { class: 'send', id: 'send', type: 'submit' }, [ui.send]));
  const form = h('form', { id: 'form' }, [h('label', { class: 'visually-hidden', for: 'text' }, [ui.yourMessage]), input, sendButton]);
  const panel = h('section', { class: 'panel', id: 'panel', role: 'dialog', 'aria-label': ui.chat, hidden: !inline }, [
    h('header', {}, [h('div', { class: 'who' }, [nameEl, badge, conversationEl]), ...(inline ? [] : [closeButton])]),
    stateEl, log, typing, suggestions, errorEl, form,
  ]);
  root.append(...(inline ? [] : [launcher]), panel);

  function mount() {
    if (inline) {
      host.setAttribute('data-inline', '');
      const target = script.dataset.target ? document.querySelector(script.dataset.target) : null;
      if (target) target.append(host);
      else script.before(host);
    } else {
      document.body.append(host);
    }
  }
  // An async script in <head> may run before <body> exists.
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);

  // ---- talking to the API

  const agentPath = `${api}/v1/agents/${encodeURIComponent(agentId)}`;
  const conversationPath = () => `${agentPath}/conversations/${encodeURIComponent(state.conversationId)}`;

  function headers(extra = {}) {
    return { authorization: `Bearer ${key}`, ...(state.token ? { 'x-conversation-token': state.token } : {}), ...extra };
  }

  /** An API refusal, with the API's own message. */
  class ApiError extends Error {
    /** @param {number} status @param {string} message */
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  /** @param {Response} res */
  async function failure(res) {
    let message = `the server answered ${res.status}`;
    try {
      const body = await res.json();
      if (body && body.error && body.error.message) message = body.error.message;
    } catch { /* not JSON */ }
    return new ApiError(res.status, message);
  }

  /** @param {Response} res */
  function retryAfterSeconds(res, attempt) {
    const given = Number(res.headers.get('retry-after'));
    return Math.min(MAX_WAIT_S, Number.isFinite(given) && given > 0 ? given : 2 ** attempt);
  }

  const wait = (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

  /**
   * A call the API may be asked again: on a network failure, 429 or 503 it is sent again (the same
   * request, so a message keeps its id and is answered once), after Retry-After when the API gives one.
   * The first call of all is not repeated on a network failure: that is how a browser reports a site
   * the key does not allow (a refused CORS preflight), and the visitor should hear so at once.
   * @param {string} url @param {RequestInit} init @param {{ retryNetwork?: boolean }} [options]
   */
  async function call(url, init, { retryNetwork = true } = {}) {
    for (let attempt = 0; ; attempt++) {
      let res;
      try {
        res = await fetch(url, { ...init, headers: headers(/** @type {Record<string, string>} */ (init.headers || {})), cache: 'no-store' });
      } catch (err) {
        if (!retryNetwork || attempt + 1 >= MAX_ATTEMPTS) throw err;
        await wait(Math.min(MAX_WAIT_S, 2 ** attempt));
        continue;
      }
      if ((res.status === 503 || res.status === 429) && attempt + 1 < MAX_ATTEMPTS) {
        await wait(retryAfterSeconds(res, attempt));
        continue;
      }
      if (!res.ok) throw await failure(res);
      return res.json();
    }
  }

  /**
   * Why the API cannot be reached. A browser hides a refused CORS preflight behind a network error, so
   * the script's own URL (served to any origin) tells "this site is not allowed" from "the server is down".
   */
  async function diagnose(err) {
    if (err instanceof ApiError) {
      return err.status === 401 || err.status === 403 || err.status === 404
        ? `This chat is not available here: ${err.message}.`
        : `Something went wrong: ${err.message}.`;
    }
    try {
      const res = await fetch(`${api}/widget.js`, { method: 'HEAD', cache: 'no-store' });
      if (res.ok) {
        return `This chat is not available on ${location.origin}: its widget key does not allow this site. `
          + `If you run this site, add ${location.origin} to the key's allowedOrigins.`;
      }
    } catch { /* the server is unreachable */ }
    return ui.unreachable;
  }

  function showError(text) {
    errorEl.textContent = text;
    errorEl.hidden = !text;
  }

  // ---- rendering

  /** The reply text ends with its sources as a plain list, for channels without links; here they are links. */
  function withoutSourceList(text, sources) {
    const cut = sources && sources.length ? text.lastIndexOf('\n\n') : -1;
    return cut > 0 ? text.slice(0, cut) : text;
  }

  /** Only web links: a source stored before URLs were checked could carry javascript: or data:. */
  const webUrl = (url) => (typeof url === 'string' && /^https?:\/\//i.test(url) ? url : '');

  /** Text with its [n] markers as links to source n. @param {string} text @param {Source[]} sources */
  function citedText(text, sources) {
    const out = [];
    let last = 0;
    for (const m of text.matchAll(/\[(\d{1,2})\]/g)) {
      const source = sources[Number(m[1]) - 1];
      const url = source && webUrl(source.url);
      if (!url) continue;
      out.push(text.slice(last, m.index));
      out.push(h('a', { href: url, target: '_blank', rel: 'noopener', 'aria-label': ui.source(m[1], source.title) }, [m[0]]));
      last = /** @type {number} */ (m.index) + m[0].length;
    }
    out.push(text.slice(last));
    return out;
  }

  /** @param {Source[]} sources */
  function sourceList(sources) {
    return h('ol', { class: 'sources', 'aria-label': ui.sources }, sources.map((s) => {
      const url = webUrl(s.url);
      const label = s.title + (s.location ? `, ${s.location}` : '');
      return h('li', s.snippet ? { title: s.snippet } : {}, [url ? h('a', { href: url, target: '_blank', rel: 'noopener' }, [label]) : label]);
    }));
  }

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  /** One transcript entry (or reply), once. @param {Entry} e */
  function addEntry(e) {
    const id = `${e.role}:${e.messageId}`;
    if (state.shown.has(id)) return;
    state.shown.add(id);
    hideSuggestions();
    const sources = e.sources || [];
    const el = h('div', { class: `msg ${e.role}${e.kind ? ` ${e.kind}` : ''}`, 'data-message-id': e.messageId });
    if (e.role === 'agent') {
      el.append(...citedText(withoutSourceList(e.text, sources), sources));
      if (sources.length) el.append(sourceList(sources));
      if (details) el.append(h('div', { class: 'meta' }, [[e.kind, e.language, e.confidence !== undefined ? `confidence ${e.confidence.toFixed(2)}` : '', state.status && state.status !== 'open' ? state.status : ''].filter(Boolean).join(' · ')]));
    } else {
      el.append(e.text);
      if (e.role === 'human') el.append(h('div', { class: 'meta' }, [e.userName || 'our team']));
    }
    if (e.role === 'human' && e.userName) state.personName = e.userName;
    log.append(el);
    scrollToEnd();
  }

  /** A line from the widget itself, not from the transcript. */
  function addNotice(text, kind = 'handoff') {
    log.append(h('div', { class: `msg agent ${kind}` }, [text]));
    scrollToEnd();
  }

  /** Handoff state and who answers: "Powered by AI" only while the agent does. @param {string | null} status */
  function setStatus(status) {
    state.status = status;
    const withPeople = status === 'handoff_requested' || status === 'assigned';
    badge.hidden = withPeople || !(state.profile && state.profile.available);
    stateEl.hidden = !withPeople;
    if (status === 'handoff_requested') stateEl.textContent = ui.waiting;
    if (status === 'assigned') stateEl.textContent = state.personName ? ui.joined(state.personName) : ui.someoneJoined;
    stateEl.setAttribute('data-status', status || 'new');
    if (details) conversationEl.textContent = state.conversationId ? `conversation ${state.conversationId}` : '';
  }

  function hideSuggestions() {
    suggestions.hidden = true;
    suggestions.replaceChildren();
  }

  /** @param {{ text: string }[]} list */
  function showSuggestions(list) {
    if (state.shown.size > 0 || list.length === 0) return;
    suggestions.replaceChildren(...list.map((s) => {
      const b = h('button', { type: 'button', class: 'suggestion' }, [s.text]);
      b.addEventListener('click', () => send(s.text));
      return b;
    }));
    suggestions.hidden = false;
  }

  // ---- lifecycle

  /**
   * An agent without a greeting of its own greets in the visitor's language when it is one the agent
   * answers in, else in the agent's: a visitor whose browser is Danish reads Danish, an English one English.
   * @param {Profile} profile
   */
  function defaultGreeting(profile) {
    const own = /** @type {keyof typeof UI} */ ((profile.defaultLanguage || '').slice(0, 2).toLowerCase());
    return (UI[/** @type {keyof typeof UI} */ (visitorLanguage)] || UI[own] || UI.en).greeting(profile.name);
  }

  /** First opening: the profile, then the stored conversation or the page's suggestions. */
  async function load() {
    if (state.loaded) return;
    state.loaded = true;
    try {
      /** @type {Profile} */
      const profile = await call(`${agentPath}/profile`, {}, { retryNetwork: false });
      state.profile = profile;
      showError('');
      nameEl.textContent = profile.name;
      panel.setAttribute('aria-label', ui.chatWith(profile.name));
      launcher.setAttribute('aria-label', ui.chatWith(profile.name));
      log.prepend(h('div', { class: 'msg greeting' }, [profile.greeting || defaultGreeting(profile)]));
      setStatus(state.status);
    } catch (err) {
      state.loaded = false;
      badge.hidden = true;
      showError(await diagnose(err));
      return;
    }
    if (state.conversationId && state.token) await refresh({ quiet: true });
    if (state.shown.size === 0) {
      // Questions for this very page when its URL is synced content, general ones otherwise.
      const page = /^https?:$/.test(location.protocol) ? `?url=${encodeURIComponent(location.href.split('#')[0])}` : '';
      try {
        const { suggestions: list } = await call(`${agentPath}/suggestions${page}`, {});
        showSuggestions(list);
      } catch { /* the visitor can still type */ }
    }
    follow();
  }

  /**
   * Reads the conversation and shows what is new (a person's replies, notices, and on a reload all of it).
   * A conversation this key may not read (gone, or another browser's) is forgotten.
   */
  async function refresh({ quiet = false } = {}) {
    if (!state.conversationId) return;
    try {
      let cursor = '';
      for (let page = 0; page < 10; page++) {
        const res = await fetch(`${conversationPath()}?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: headers(), cache: 'no-store' });
        if (res.status === 401 || res.status === 403 || res.status === 404) {
          if (!fixedConversation || res.status !== 404) forget();
          return;
        }
        if (res.status === 429 || res.status === 503) {
          state.quietUntil = Date.now() + retryAfterSeconds(res, 2) * 1000;
          return;
        }
        if (!res.ok) return;
        const conv = await res.json();
        for (const e of conv.transcript) addEntry(e);
        setStatus(conv.status);
        if (!conv.nextCursor) break;
        cursor = conv.nextCursor;
      }
    } catch (err) {
      if (!quiet) console.debug('customer-agent: checking the conversation failed; trying again', err);
    }
  }

  function forget() {
    state.conversationId = fixedConversation;
    state.token = '';
    stopFollowing();
    try {
      localStorage.removeItem(storageKey);
    } catch { /* nothing kept */ }
  }

  /** Polls while the panel is open, the tab visible and there is a conversation; stops otherwise. */
  function follow() {
    stopFollowing();
    if (!state.open || document.hidden || !state.token) return;
    state.polling = true;
    state.timer = window.setTimeout(async function tick() {
      if (!state.polling) return;
      if (state.sending === 0 && Date.now() >= state.quietUntil) await refresh();
      if (state.polling) state.timer = window.setTimeout(tick, POLL_MS);
    }, POLL_MS);
  }
  function stopFollowing() {
    state.polling = false;
    clearTimeout(state.timer);
  }
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) stopFollowing();
    else if (state.open && state.token) refresh().then(follow);
  });

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    // Pages served over plain http have no randomUUID; getRandomValues works everywhere.
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const x = [...b].map((n) => n.toString(16).padStart(2, '0')).join('');
    return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
  }

  /** Who the visitor is, as the host page says now (its data-customer-* attributes) and the browser's language. */
  function customer() {
    const d = script.dataset;
    return {
      locale: navigator.language,
      ...(d.customerEmail ? { email: d.customerEmail } : {}),
      ...(d.customerName ? { name: d.customerName } : {}),
      ...(d.customerEmail && d.identityToken ? { identityToken: d.identityToken } : {}),
    };
  }

  /** @param {string} text */
  async function send(text) {
    text = text.trim();
    if (!text) return;
    showError('');
    if (!state.conversationId) state.conversationId = `web-${uuid()}`;
    const messageId = uuid();
    addEntry({ messageId, role: 'customer', text });
    state.sending++;
    typing.hidden = false;
    sendButton.disabled = true;
    try {
      const body = await call(`${conversationPath()}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messageId, text, channel: 'chat', customer: customer() }),
      });
      // For the site's developers: a token that did not verify the visitor is no error, but it is said here.
      if (body.customer && body.customer.reason) console.warn(`customer-agent: the visitor is not verified: ${body.customer.reason}`);
      if (body.conversation.token) state.token = body.conversation.token;
      saveConversation();
      setStatus(body.conversation.status);
      const reply = body.reply;
      if (reply) addEntry({ messageId, role: 'agent', ...reply });
      else {
        const withTeam = body.conversation.status === 'assigned' || body.conversation.status === 'handoff_requested';
        addNotice(withTeam
          ? ui.receivedTeam
          : ui.receivedOff);
      }
      follow();
    } catch (err) {
      showError(err instanceof ApiError ? ui.notSent(err.message) : ui.notSentConnection);
    } finally {
      state.sending--;
      typing.hidden = state.sending === 0;
      sendButton.disabled = false;
      if (state.open) input.focus();
    }
  }

  // ---- opening, closing, keyboard

  function open() {
    state.open = true;
    panel.hidden = false;
    launcher.setAttribute('aria-expanded', 'true');
    rememberOpen(true);
    input.focus();
    load().then(follow);
  }
  function close() {
    state.open = false;
    panel.hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
    rememberOpen(false);
    stopFollowing();
    launcher.focus();
  }

  launcher.addEventListener('click', () => (state.open ? close() : open()));
  closeButton.addEventListener('click', close);
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !inline) {
      e.preventDefault();
      close();
    }
  });
  input.addEventListener('keydown', (e) => {
    // Enter sends, Shift+Enter is a new line; not while an input method is composing a character.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (sendButton.disabled) return;
    const text = input.value;
    input.value = '';
    send(text);
  });

  if (!agentId || !key) {
    showError('This chat is not set up: the script tag needs data-agent and data-key.');
    if (inline || script.hasAttribute('data-open')) { state.open = true; panel.hidden = false; }
    return;
  }
  if (inline || script.hasAttribute('data-open') || wasOpen()) open();
})();
