// A NUMA node's colour mark beside its name: the colour the map gives the node (render/lanes), in the
// topology bar's legend and the node tables alike.

import { nodeColorCss } from '../render/lanes';

export function NodeSwatch({ node }: { node: number }) {
  return <span className="node-swatch" style={{ background: nodeColorCss(node) }} />;
}
