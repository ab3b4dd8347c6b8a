// SPDX-License-Identifier: MIT
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** webviewOptions allows scripts and local resources from dist/ only. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, enableCommandUris: false, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] };
}

/**
 * webviewHtml is the capture editor's page: a locked-down shell that loads dist/webview.js and
 * dist/webview.css. Nothing from the capture, not even its file name, is written into this HTML;
 * the script builds all content from `init` with textContent.
 *
 * CSP: vscode-elements (lit) styles its shadow roots with constructable stylesheets
 * (adoptedStyleSheets), which `style-src` does not govern, and its components avoid inline style
 * attributes, so no 'unsafe-inline' is needed. The nonce covers our script and stylesheet link.
 */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('hex');
  const dist = vscode.Uri.joinPath(extensionUri, 'dist');
  const scriptUri = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js'));
  const styleUri = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css'));
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  // The display language is a BCP 47 tag from VS Code; keep only the characters such a tag has.
  const lang = vscode.env.language.replace(/[^A-Za-z0-9-]/g, '') || 'en';
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" nonce="${nonce}" href="${attributeValue(styleUri)}">
  <title>Capture</title>
</head>
<body>
  <main id="root" aria-busy="true"></main>
  <script nonce="${nonce}" src="${attributeValue(scriptUri)}"></script>
</body>
</html>`;
}

/** attributeValue escapes a resource URI for a double-quoted attribute (webview URIs hold no quotes, but be sure). */
function attributeValue(uri: vscode.Uri): string {
  return uri.toString().replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
