import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { agentDataDir, defaultAgentDataDir, legacyStateNote } from './agent-paths.js';

describe('agent data directory', () => {
  it('defaults per user: $XDG_CONFIG_HOME/phlix-agent, else ~/.config/phlix-agent, %APPDATA% on Windows', () => {
    expect(defaultAgentDataDir({ XDG_CONFIG_HOME: '/x/conf' }, '/home/u', 'linux')).toBe('/x/conf/phlix-agent');
    expect(defaultAgentDataDir({}, '/home/u', 'linux')).toBe('/home/u/.config/phlix-agent');
    // a relative XDG_CONFIG_HOME is invalid by the spec and ignored
    expect(defaultAgentDataDir({ XDG_CONFIG_HOME: 'conf' }, '/home/u', 'linux')).toBe('/home/u/.config/phlix-agent');
    expect(defaultAgentDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'C:\\Users\\u', 'win32')).toMatch(
      /Roaming.phlix-agent$/,
    );
  });

  it('--data-dir beats PHLIX_AGENT_DATA_DIR beats the default', () => {
    const env = { PHLIX_AGENT_DATA_DIR: '/e', XDG_CONFIG_HOME: '/x' };
    expect(agentDataDir({ dataDir: 'rel' }, env)).toBe(resolve('rel'));
    expect(agentDataDir({}, env)).toBe('/e');
    expect(agentDataDir({}, { XDG_CONFIG_HOME: '/x' })).toBe('/x/phlix-agent');
  });

  it('notes a state file at the old default (./phlix-agent) that is no longer used', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'phlix-legacy-'));
    expect(legacyStateNote({}, { XDG_CONFIG_HOME: '/x' }, cwd)).toBeNull();
    mkdirSync(join(cwd, 'phlix-agent'));
    writeFileSync(join(cwd, 'phlix-agent', 'phlix-agent.json'), '{}');
    expect(legacyStateNote({}, { XDG_CONFIG_HOME: '/x' }, cwd)).toMatch(/--data-dir .*phlix-agent/);
    expect(legacyStateNote({ dataDir: '/d' }, {}, cwd)).toBeNull();
    expect(legacyStateNote({}, { PHLIX_AGENT_DATA_DIR: '/d' }, cwd)).toBeNull();
  });
});
