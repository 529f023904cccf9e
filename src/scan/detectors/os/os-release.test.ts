import { describe, expect, it } from 'vitest';
import { captureFilesystem, createCapturedFilesystem } from '../testing/captured-fs.js';
import { detectOs, osReleaseDetector, parseOsRelease } from './os-release.js';

/** os-release files as the distributions' container images ship them. */
const OS_RELEASES = {
  debian12: `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
SUPPORT_URL="https://www.debian.org/support"
BUG_REPORT_URL="https://bugs.debian.org/"
`,
  ubuntu2204: `PRETTY_NAME="Ubuntu 22.04.4 LTS"
NAME="Ubuntu"
VERSION_ID="22.04"
VERSION="22.04.4 LTS (Jammy Jellyfish)"
VERSION_CODENAME=jammy
ID=ubuntu
ID_LIKE=debian
HOME_URL="https://www.ubuntu.com/"
SUPPORT_URL="https://help.ubuntu.com/"
BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"
PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"
UBUNTU_CODENAME=jammy
`,
  alpine320: `NAME="Alpine Linux"
ID=alpine
VERSION_ID=3.20.3
PRETTY_NAME="Alpine Linux v3.20"
HOME_URL="https://alpinelinux.org/"
BUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"
`,
  rhel9: `NAME="Red Hat Enterprise Linux"
VERSION="9.4 (Plow)"
ID="rhel"
ID_LIKE="fedora"
VERSION_ID="9.4"
PLATFORM_ID="platform:el9"
PRETTY_NAME="Red Hat Enterprise Linux 9.4 (Plow)"
ANSI_COLOR="0;31"
LOGO="fedora-logo-icon"
CPE_NAME="cpe:/o:redhat:enterprise_linux:9::baseos"
HOME_URL="https://www.redhat.com/"
`,
  almalinux9: `NAME="AlmaLinux"
VERSION="9.4 (Seafoam Ocelot)"
ID="almalinux"
ID_LIKE="rhel centos fedora"
VERSION_ID="9.4"
PLATFORM_ID="platform:el9"
PRETTY_NAME="AlmaLinux 9.4 (Seafoam Ocelot)"
ANSI_COLOR="0;34"
`,
  rocky9: `NAME="Rocky Linux"
VERSION="9.4 (Blue Onyx)"
ID="rocky"
ID_LIKE="rhel centos fedora"
VERSION_ID="9.4"
PRETTY_NAME="Rocky Linux 9.4 (Blue Onyx)"
`,
  centosStream9: `NAME="CentOS Stream"
VERSION="9"
ID="centos"
ID_LIKE="rhel fedora"
VERSION_ID="9"
PRETTY_NAME="CentOS Stream 9"
`,
  fedora40: `NAME="Fedora Linux"
VERSION="40 (Container Image)"
ID=fedora
VERSION_ID=40
VERSION_CODENAME=""
PRETTY_NAME="Fedora Linux 40 (Container Image)"
`,
  amzn2023: `NAME="Amazon Linux"
VERSION="2023"
ID="amzn"
ID_LIKE="fedora"
VERSION_ID="2023"
PLATFORM_ID="platform:al2023"
PRETTY_NAME="Amazon Linux 2023.4.20240513"
`,
  ol9: `NAME="Oracle Linux Server"
VERSION="9.4"
ID="ol"
ID_LIKE="fedora"
VERSION_ID="9.4"
PRETTY_NAME="Oracle Linux Server 9.4"
`,
  mariner2: `NAME="Common Base Linux Mariner"
VERSION="2.0.20240123"
ID=mariner
VERSION_ID="2.0"
PRETTY_NAME="CBL-Mariner/Linux"
`,
  azurelinux3: `NAME="Microsoft Azure Linux"
VERSION="3.0.20240727"
ID=azurelinux
VERSION_ID="3.0"
PRETTY_NAME="Microsoft Azure Linux 3.0"
`,
  wolfi: `ID=wolfi
NAME="Wolfi"
PRETTY_NAME="Wolfi"
VERSION_ID="20230201"
HOME_URL="https://wolfi.dev"
`,
  chainguard: `NAME="Chainguard"
ID=chainguard
VERSION_ID=20231201
PRETTY_NAME="Chainguard"
HOME_URL="https://chainguard.dev"
`,
  sles155: `NAME="SLES"
VERSION="15-SP5"
VERSION_ID="15.5"
PRETTY_NAME="SUSE Linux Enterprise Server 15 SP5"
ID="sles"
ID_LIKE="suse"
CPE_NAME="cpe:/o:suse:sles:15:sp5"
`,
  opensuseLeap155: `NAME="openSUSE Leap"
VERSION="15.5"
ID="opensuse-leap"
ID_LIKE="suse opensuse"
VERSION_ID="15.5"
PRETTY_NAME="openSUSE Leap 15.5"
`,
  googleDistroless: `PRETTY_NAME="Distroless"
NAME="Debian GNU/Linux"
ID="debian"
VERSION_ID="12"
VERSION="Debian GNU/Linux 12 (bookworm)"
HOME_URL="https://github.com/GoogleContainerTools/distroless"
SUPPORT_URL="https://github.com/GoogleContainerTools/distroless/blob/master/README.md"
BUG_REPORT_URL="https://github.com/GoogleContainerTools/distroless/issues/new"
`,
};

function osOf(text: string, extra: Parameters<typeof createCapturedFilesystem>[0] = {}) {
  return detectOs(createCapturedFilesystem({ ...extra, files: { '/etc/os-release': text, ...extra.files } }));
}

describe('parseOsRelease', () => {
  it('unquotes double- and single-quoted values and honours backslash escapes', () => {
    const fields = parseOsRelease(
      [
        '# comment',
        'A="two words"',
        "B='single $x'",
        'C="esc \\" \\$HOME \\\\ \\`x\\`"',
        'D=bare',
        '',
        'bad line',
        'E= spaced ',
      ].join('\n'),
    );
    expect(Object.fromEntries(fields)).toEqual({
      A: 'two words',
      B: 'single $x',
      C: 'esc " $HOME \\ `x`',
      D: 'bare',
      E: 'spaced',
    });
  });

  it('accepts CRLF line ends', () => {
    expect(parseOsRelease('ID=alpine\r\nVERSION_ID=3.20.3\r\n').get('VERSION_ID')).toBe('3.20.3');
  });
});

describe('detectOs', () => {
  it.each([
    ['debian12', 'debian', '12', []],
    ['ubuntu2204', 'ubuntu', '22.04', ['debian']],
    ['alpine320', 'alpine', '3.20.3', []],
    ['rhel9', 'rhel', '9.4', ['fedora']],
    ['almalinux9', 'almalinux', '9.4', ['rhel', 'centos', 'fedora']],
    ['rocky9', 'rocky', '9.4', ['rhel', 'centos', 'fedora']],
    ['centosStream9', 'centos', '9', ['rhel', 'fedora']],
    ['fedora40', 'fedora', '40', []],
    ['amzn2023', 'amzn', '2023', ['fedora']],
    ['ol9', 'ol', '9.4', ['fedora']],
    ['mariner2', 'mariner', '2.0', []],
    ['azurelinux3', 'azurelinux', '3.0', []],
    ['sles155', 'sles', '15.5', ['suse']],
    ['opensuseLeap155', 'opensuse-leap', '15.5', ['suse', 'opensuse']],
  ] as const)('identifies %s', (key, id, versionId, idLike) => {
    const os = osOf(OS_RELEASES[key]);
    expect(os).toMatchObject({ id, versionId, idLike });
    expect(os?.distroless).toBeUndefined();
  });

  it('keeps codenames and pretty names', () => {
    expect(osOf(OS_RELEASES.debian12)).toEqual({
      id: 'debian',
      versionId: '12',
      versionCodename: 'bookworm',
      idLike: [],
      prettyName: 'Debian GNU/Linux 12 (bookworm)',
    });
    expect(osOf(OS_RELEASES.fedora40)?.versionCodename).toBeUndefined();
  });

  it('drops the build-date VERSION_ID of rolling distributions', () => {
    expect(osOf(OS_RELEASES.wolfi)).toEqual({ id: 'wolfi', idLike: [], prettyName: 'Wolfi' });
    expect(osOf(OS_RELEASES.chainguard)?.versionId).toBeUndefined();
    expect(osOf('ID=linux\nPRETTY_NAME="Chainguard Base Image"\n')?.id).toBe('chainguard');
  });

  it('marks Google distroless by its PRETTY_NAME', () => {
    expect(osOf(OS_RELEASES.googleDistroless)).toMatchObject({
      id: 'debian',
      versionId: '12',
      distroless: true,
    });
  });

  it('marks Debian images with status.d and no shell as distroless, but not those with a shell', () => {
    const withStatusDir = { files: { '/var/lib/dpkg/status.d/libc6': 'Package: libc6\n' } };
    expect(osOf(OS_RELEASES.debian12, withStatusDir)?.distroless).toBe(true);
    expect(osOf(OS_RELEASES.debian12, { ...withStatusDir, paths: ['/bin/sh'] })?.distroless).toBeUndefined();
    // Merged /usr: /bin → usr/bin, /usr/bin/sh → dash.
    const usrMerged = {
      ...withStatusDir,
      symlinks: { '/bin': 'usr/bin', '/usr/bin/sh': 'dash' },
      paths: ['/usr/bin/dash'],
    };
    expect(osOf(OS_RELEASES.debian12, usrMerged)?.distroless).toBeUndefined();
    expect(osOf(OS_RELEASES.debian12, { paths: ['/var/lib/dpkg/status.d'] })?.distroless).toBe(true);
    expect(osOf(OS_RELEASES.debian12)?.distroless).toBeUndefined();
  });

  it('follows /etc/os-release to /usr/lib/os-release and prefers /etc', () => {
    const linked = createCapturedFilesystem({
      files: { '/usr/lib/os-release': OS_RELEASES.ubuntu2204 },
      symlinks: { '/etc/os-release': '../usr/lib/os-release' },
    });
    expect(detectOs(linked)?.id).toBe('ubuntu');
    const vendorOnly = createCapturedFilesystem({ files: { '/usr/lib/os-release': OS_RELEASES.fedora40 } });
    expect(detectOs(vendorOnly)?.id).toBe('fedora');
    const both = createCapturedFilesystem({
      files: { '/etc/os-release': OS_RELEASES.rocky9, '/usr/lib/os-release': OS_RELEASES.centosStream9 },
    });
    expect(detectOs(both)?.id).toBe('rocky');
  });

  it('falls back to /etc/debian_version and /etc/alpine-release', () => {
    const detect = (files: Record<string, string>) => detectOs(createCapturedFilesystem({ files }));
    expect(detect({ '/etc/debian_version': '12.5\n' })).toEqual({
      id: 'debian',
      idLike: [],
      versionId: '12',
    });
    expect(detect({ '/etc/debian_version': 'trixie/sid\n' })).toEqual({
      id: 'debian',
      idLike: [],
      versionCodename: 'trixie',
    });
    expect(detect({ '/etc/alpine-release': '3.20.3\n' })).toEqual({
      id: 'alpine',
      idLike: [],
      versionId: '3.20.3',
    });
    expect(detect({ '/etc/alpine-release': '<html>\n' })).toBeUndefined();
    expect(detect({ '/etc/os-release': '# nothing here\n', '/etc/alpine-release': '3.19.1' })?.id).toBe(
      'alpine',
    );
    expect(detect({})).toBeUndefined();
  });
});

describe('osReleaseDetector', () => {
  it('captures the identifying files and reports an unknown OS', async () => {
    const fs = await captureFilesystem(
      {
        files: {
          '/etc/os-release': OS_RELEASES.alpine320,
          '/etc/hostname': 'x',
          '/etc/alpine-release': '3.20.3',
        },
      },
      [osReleaseDetector],
    );
    expect([...fs.files.keys()].sort()).toEqual(['/etc/alpine-release', '/etc/os-release']);
    expect(await osReleaseDetector.detect({ fs })).toEqual({ packages: [] });

    const empty = await captureFilesystem({ files: { '/app/server': 'binary' } }, [osReleaseDetector]);
    const result = await osReleaseDetector.detect({ fs: empty });
    expect(result.packages).toEqual([]);
    expect(result.notices).toEqual([expect.objectContaining({ level: 'info', code: 'SCAN_OS_UNKNOWN' })]);
  });
});
