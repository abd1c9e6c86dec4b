import type { CliIo } from './io.js'

/** Asks one question on `io.stderr` and reads the answer line from `io.stdin`; `''` when stdin ends first. */
async function ask (io: CliIo, prompt: string): Promise<string> {
  const { read } = await import('read')
  let onEnd!: () => void
  // read() never settles when its input ends without a line, so the end of stdin counts as an empty answer.
  const ended = new Promise<string>((resolve) => { onEnd = () => resolve('') })
  io.stdin.once('end', onEnd)
  try {
    const answer = await Promise.race([read({ prompt, input: io.stdin, output: io.stderr }), ended])
    return String(answer).trim()
  } finally {
    io.stdin.off('end', onEnd)
  }
}

/** Asks `y/N`; true only for `y` or `yes`. */
export async function confirm (io: CliIo, prompt: string): Promise<boolean> {
  return ['y', 'yes'].includes((await ask(io, `${prompt} (y/N)`)).toLowerCase())
}

/**
 * One OTP for a whole run: npm-registry-fetch calls `otpPrompt` when the registry challenges, and every later
 * request starts with the code already given, so a bulk run asks once. A code the registry refuses (expired)
 * is asked for again; an empty answer stops asking for the rest of the run.
 */
export function otpSession (
  io: CliIo, initial: string | undefined
): () => { otp?: string, otpPrompt: () => Promise<string> } {
  let current = initial
  let gaveUp = false
  const otpPrompt = async (): Promise<string> => {
    if (gaveUp) return ''
    const answer = await ask(io, 'This operation requires a one-time password.\nEnter OTP:')
    if (answer === '') gaveUp = true
    else current = answer
    return answer
  }
  return () => ({ ...(current !== undefined ? { otp: current } : {}), otpPrompt })
}
