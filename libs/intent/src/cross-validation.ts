import { ModelOptions, IntentModel, TrainingSet } from './model';

/**
 * Stratified fold of each example: within each class, examples are dealt round-robin in file
 * order, so every fold keeps the class balance and the split is reproducible without a seed.
 */
export function stratifiedFolds(labels: readonly number[], foldCount: number): number[] {
  const seen = new Map<number, number>();
  return labels.map((label) => {
    const rank = seen.get(label) ?? 0;
    seen.set(label, rank + 1);
    return rank % foldCount;
  });
}

/**
 * Logits of each example from a model that never saw it: train on k-1 folds, score the k-th.
 * These are what temperature scaling is fitted on, and what cross-validated accuracy uses.
 */
export function outOfFoldLogits(set: TrainingSet, options: ModelOptions, foldCount: number): number[][] {
  const folds = stratifiedFolds(set.labels, foldCount);
  const logits = new Array<number[]>(set.documents.length);
  for (let fold = 0; fold < foldCount; fold++) {
    const trainRows = folds.flatMap((f, i) => (f === fold ? [] : [i]));
    const model = IntentModel.fitRows(set, trainRows, options);
    folds.forEach((f, i) => {
      if (f === fold) logits[i] = model.logitsOfDocument(set.documents[i]);
    });
  }
  return logits;
}
