//! Scripts run in the page to observe what the webview enforces, shared by the tests of the debug
//! build and of the installed package.

/// Tries what a strict Content-Security-Policy forbids (an inline `<style>`, a `style` attribute, an
/// inline `<script>`, `eval`) and what it allows (CSSOM, which React's `style` prop uses; the app's
/// own stylesheet), then undoes its changes. Returns an object:
/// `{styleElement, styleAttribute, cssom, inlineScript, eval, ownStylesheet}`, where a forbidden
/// attempt that was blocked reads `""`, `"blocked"` or `false`.
/// (Tauri adds nonces to the page's script-src, so an inline script stays blocked even under a
/// policy that says 'unsafe-inline'; the other three answers change with the policy.)
pub const CSP_PROBE: &str = r#"
const probe = document.createElement('div');
probe.id = 'csp-probe';
document.body.appendChild(probe);
const read = (name) => getComputedStyle(probe).getPropertyValue(name).trim();

const style = document.createElement('style');
style.textContent = '#csp-probe { --from-style-element: yes; }';
document.head.appendChild(style);
const styleElement = read('--from-style-element');

probe.setAttribute('style', '--from-style-attribute: yes');
const styleAttribute = read('--from-style-attribute');
probe.removeAttribute('style');

probe.style.setProperty('--from-cssom', 'yes');
const cssom = read('--from-cssom');

window.__cspProbe = 'blocked';
const script = document.createElement('script');
script.textContent = "window.__cspProbe = 'ran';";
document.head.appendChild(script);
const inlineScript = window.__cspProbe;

let evaluated;
try { evaluated = (0, eval)('1 + 1') === 2; } catch (error) { evaluated = false; }

const ownStylesheet = getComputedStyle(document.documentElement).getPropertyValue('--radius').trim();

probe.remove();
style.remove();
script.remove();
delete window.__cspProbe;
return { styleElement, styleAttribute, cssom, inlineScript, eval: evaluated, ownStylesheet };
"#;

/// What the policy in src-tauri/tauri.conf.json must let through and hold back.
/// Panics with what the page saw unless it matches.
pub fn assert_csp_holds(seen: &serde_json::Value) {
    assert_eq!(
        seen["ownStylesheet"], "10px",
        "the app's own stylesheet applies: {seen}"
    );
    assert_eq!(
        seen["cssom"], "yes",
        "styles set through the CSSOM (React's style prop) apply: {seen}"
    );
    assert_eq!(
        seen["styleElement"], "",
        "an inline <style> element is blocked: {seen}"
    );
    assert_eq!(
        seen["styleAttribute"], "",
        "a style attribute is blocked: {seen}"
    );
    assert_eq!(
        seen["inlineScript"], "blocked",
        "an inline <script> is blocked: {seen}"
    );
    assert_eq!(seen["eval"], false, "eval is blocked: {seen}");
}

/// Calls each command named in the script's first argument through the IPC the page has, and
/// reports for each `"allowed"` or the rejection's text. Arguments are `[[command, args], ...]`.
pub const INVOKE_PROBE: &str = r#"
const done = arguments[arguments.length - 1];
const calls = arguments[0];
Promise.all(calls.map(([command, args]) =>
  window.__TAURI_INTERNALS__.invoke(command, args).then(() => 'allowed', (error) => String(error))
)).then(done);
"#;
