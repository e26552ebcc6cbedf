// Colours. Strategies use the Okabe–Ito palette (distinguishable with the common colour-vision deficiencies);
// classes use Tableau 10, which stays readable when ten segments are stacked next to each other.

const STRATEGY_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#8C6D31'];

const CLASS_COLOURS = [
  '#4E79A7', '#F28E2B', '#E15759', '#76B7B2', '#59A14F',
  '#EDC948', '#B07AA1', '#FF9DA7', '#9C755F', '#BAB0AC',
];

// Past the fixed lists, spread hues by the golden angle so neighbours still differ.
function generated(i: number, lightness: number): string {
  const hue = Math.round((i * 137.508) % 360);
  return `hsl(${hue}, 55%, ${lightness}%)`;
}

export function strategyColour(i: number): string {
  return i < STRATEGY_COLOURS.length ? STRATEGY_COLOURS[i] : generated(i, 40);
}

export function classColour(i: number): string {
  return i < CLASS_COLOURS.length ? CLASS_COLOURS[i] : generated(i, 60);
}
