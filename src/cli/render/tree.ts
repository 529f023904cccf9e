export interface TreeNode {
  label: string;
  children?: TreeNode[];
}

/** Renders a tree with box-drawing guides, like `oras discover` and `tree`. */
export function formatTree(root: TreeNode): string {
  const lines = [root.label];
  const walk = (nodes: TreeNode[], prefix: string) => {
    nodes.forEach((node, index) => {
      const last = index === nodes.length - 1;
      lines.push(`${prefix}${last ? '└── ' : '├── '}${node.label}`);
      if (node.children?.length) walk(node.children, `${prefix}${last ? '    ' : '│   '}`);
    });
  };
  walk(root.children ?? [], '');
  return lines.join('\n');
}
