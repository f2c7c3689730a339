/** A sparse row: parallel arrays of feature indices and weights. */
export interface SparseVector {
  readonly indices: Int32Array;
  readonly values: Float64Array;
}

/**
 * Rows packed end to end (CSR layout): row i spans [offsets[i], offsets[i+1]). Training walks
 * it in tight loops over typed arrays, which V8 runs several times faster than arrays of rows.
 */
export interface SparseMatrix {
  readonly rowCount: number;
  readonly offsets: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float64Array;
}

export function packRows(rows: readonly SparseVector[]): SparseMatrix {
  const offsets = new Int32Array(rows.length + 1);
  rows.forEach((row, i) => {
    offsets[i + 1] = offsets[i] + row.indices.length;
  });
  const indices = new Int32Array(offsets[rows.length]);
  const values = new Float64Array(offsets[rows.length]);
  rows.forEach((row, i) => {
    indices.set(row.indices, offsets[i]);
    values.set(row.values, offsets[i]);
  });
  return { rowCount: rows.length, offsets, indices, values };
}
