/**
 * The registries the window shows, from the settings: the default one (the artifacts.registry setting, else
 * ARTIFACTS_REGISTRY, else ~/.artifacts, as the CLI) and the named ones of the artifacts.registries setting
 * (a folder or a bucket URI each), side by side. Pure: parsing a location loads no SDK and does no
 * I/O. A row whose setting is wrong keeps its place and says what is wrong.
 */
import { createHash } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import { formatNumber } from '../../core/l10n';
import { parseStoreLocation } from '../../store/store-location';
import type { StoreKindName } from './tree-model';

export interface RegistryEntry {
  /** Stable across reloads and edits of other rows (from the location); undefined for the default registry. */
  key: string | undefined;
  /** The setting's name (the default registry has none). */
  name?: string;
  /** As written in the settings (a folder path, s3://…, azure://…). */
  location: string;
  store: StoreKindName;
  /** What is wrong with the setting (the row shows it; nothing is opened). */
  problem?: string;
}

/** A key for `artifact://<key>/…` URIs and node ids: lowercase letters and digits only. */
export function registryKey(location: string): string {
  return `r${createHash('sha256').update(location).digest('hex').slice(0, 12)}`;
}

function storeOf(location: string): { store: StoreKindName; problem?: string } {
  try {
    const spec = parseStoreLocation(location, {});
    return { store: spec.kind === 'local' ? 'folder' : spec.kind };
  } catch (e) {
    return { store: /^azure:/i.test(location) ? 'azure' : /^s3:/i.test(location) ? 's3' : 'folder', problem: (e as Error).message };
  }
}

/** The rows: the default registry first, then each valid-or-not entry of the artifacts.registries setting. */
export function registryEntries(defaultLocation: string, configured: unknown): RegistryEntry[] {
  const rows: RegistryEntry[] = [{ key: undefined, location: defaultLocation, store: storeOf(defaultLocation).store, problem: storeOf(defaultLocation).problem }];
  if (!Array.isArray(configured)) return rows;
  const names = new Set<string>();
  for (const [i, item] of configured.entries()) {
    const raw = typeof item === 'string' ? { name: undefined, location: item } : (item as { name?: unknown; location?: unknown } | null);
    const location = typeof raw?.location === 'string' ? raw.location.trim() : '';
    const name = typeof raw?.name === 'string' && raw.name.trim() ? raw.name.trim() : location || l10n.t('registry {0}', formatNumber(i + 1));
    const row: RegistryEntry = { key: registryKey(location || `#${i}`), name, location, ...storeOf(location) };
    if (!location) row.problem = l10n.t('artifacts.registries: this entry has no "location" (a folder, s3://bucket/prefix or azure://account/container/prefix)');
    else if (names.has(name)) row.problem = l10n.t('artifacts.registries: the name "{0}" is used twice', name);
    else if (location === defaultLocation || rows.some((r) => r.location === location)) continue; // shown once
    names.add(name);
    rows.push(row);
  }
  return rows;
}
