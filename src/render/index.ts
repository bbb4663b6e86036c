// The canvas map library: colours, lanes, level of detail, drawing, overlay,
// hit testing, navigation math and the frame benchmark. See scene.ts for how
// the pieces fit together.

export * from './values';
export * from './colors';
export * from './canvas';
export * from './sliceIndex';
export * from './pyramid';
export * from './lod';
export * from './lanes';
export * from './layout';
export * from './lost';
export * from './mapRenderer';
export * from './overlay';
export * from './taskVms';
export * from './hitTest';
export * from './viewport';
export * from './timeAxis';
export * from './scene';
export * from './fakeContext';
export * from './frameBench';
export * from './benchModel';
