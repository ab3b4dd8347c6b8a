// SPDX-License-Identifier: MIT
import * as vscode from 'vscode';
import type { LocalizedStrings } from '../../protocol/dto.js';

/**
 * localizedStrings builds the webview's strings in the display language. Typed as
 * LocalizedStrings, so a key added to STRING_KEYS and missing here fails the type check.
 * Placeholders are passed through as '{0}' so the webview can fill them in.
 */
export function localizedStrings(): LocalizedStrings {
  return {
    captureHeading: vscode.l10n.t('Capture'),
    file: vscode.l10n.t('File'),
    format: vscode.l10n.t('Format'),
    linkTypes: vscode.l10n.t('Link types'),
    noInterfaces: vscode.l10n.t('no interfaces'),
    packets: vscode.l10n.t('Packets'),
    capturedBytes: vscode.l10n.t('Captured bytes'),
    fileSize: vscode.l10n.t('File size'),
    firstPacket: vscode.l10n.t('First packet'),
    duration: vscode.l10n.t('Duration'),
    durationSeconds: vscode.l10n.t('{0} s', '{0}'),
    noPackets: vscode.l10n.t('The capture holds no packets.'),
    decodedHeading: vscode.l10n.t('Decoded packets'),
    ipv4: vscode.l10n.t('IPv4'),
    ipv6: vscode.l10n.t('IPv6'),
    tcp: vscode.l10n.t('TCP'),
    udp: vscode.l10n.t('UDP'),
    otherProtocols: vscode.l10n.t('Other'),
    ipFragments: vscode.l10n.t('IP fragments'),
    datagramsRebuilt: vscode.l10n.t('Datagrams rebuilt'),
    undecodedHeading: vscode.l10n.t('Undecoded packets by layer'),
    notesHeading: vscode.l10n.t('Decoder notes'),
    connections: vscode.l10n.t('Connections'),
    findings: vscode.l10n.t('Findings'),
    fileWarningsHeading: vscode.l10n.t('File warnings'),
    decodeErrorsHeading: vscode.l10n.t('Decode errors'),
    offset: vscode.l10n.t('Offset'),
    message: vscode.l10n.t('Message'),
    frame: vscode.l10n.t('Frame'),
    layer: vscode.l10n.t('Layer'),
    count: vscode.l10n.t('Count'),
    moreRowsNotShown: vscode.l10n.t('{0} more rows not shown.', '{0}'),
    firstOfTotal: vscode.l10n.t('Showing the first {0} of {1}.', '{0}', '{1}'),
    analyzing: vscode.l10n.t('Analyzing capture…'),
    analyzingProgress: vscode.l10n.t('Analyzing capture… {0}%', '{0}'),
    analysisFailedHeading: vscode.l10n.t('The file could not be analyzed'),
    analysisCancelledHeading: vscode.l10n.t('The analysis was cancelled'),
    errorFile: vscode.l10n.t('File'),
    errorOffset: vscode.l10n.t('At byte offset'),
    errorReason: vscode.l10n.t('Reason'),
    reanalyze: vscode.l10n.t('Re-analyze'),
    fileChangedOnDisk: vscode.l10n.t('The file changed on disk since it was analyzed.'),
    hostNotResponding: vscode.l10n.t('The extension did not respond. Close and reopen the editor.'),
    protocolMismatch: vscode.l10n.t('This editor is out of date. Close and reopen it.'),
  };
}
