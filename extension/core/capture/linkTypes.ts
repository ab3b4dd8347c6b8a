// SPDX-License-Identifier: MIT

/** LINK_TYPE_NAMES maps the LINKTYPE_ numbers we meet to their registry names (tcpdump.org/linktypes.html). */
export const LINK_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'NULL (BSD loopback)',
  1: 'ETHERNET',
  12: 'RAW (IP)',
  14: 'RAW (IP, OpenBSD)',
  101: 'RAW (IP)',
  105: 'IEEE802_11',
  108: 'LOOP (OpenBSD loopback)',
  113: 'LINUX_SLL',
  127: 'IEEE802_11_RADIOTAP',
  129: 'ARCNET_LINUX',
  192: 'PPI',
  228: 'IPV4',
  229: 'IPV6',
  239: 'NFLOG',
  258: 'PKTAP',
  276: 'LINUX_SLL2',
};

/** linkTypeName renders a link type as "NAME (n)" or "link type n". */
export function linkTypeName(linkType: number): string {
  const name = LINK_TYPE_NAMES[linkType];
  return name ? `${name} (${linkType})` : `link type ${linkType}`;
}
