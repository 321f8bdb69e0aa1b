//! Writes a screenshot of the workflow graph as a PNG file (on the background runtime).

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use egui::ColorImage;

/// Encodes `image` as an RGBA PNG at `path`; the error is a sentence with what to do.
pub fn write_png(path: &Path, image: &ColorImage) -> Result<(), String> {
    let fail = |e: &dyn std::fmt::Display| {
        crate::tr!(
            "runtime-image-not-saved",
            error = e.to_string(),
            path = path.display().to_string()
        )
    };
    let [width, height] = image.size;
    if width == 0 || height == 0 {
        return Err(crate::tr!("runtime-image-empty"));
    }
    let file = File::create(path).map_err(|e| fail(&e))?;
    let mut encoder = png::Encoder::new(BufWriter::new(file), width as u32, height as u32);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| fail(&e))?;
    let rgba: Vec<u8> = image
        .pixels
        .iter()
        .flat_map(|p| p.to_srgba_unmultiplied())
        .collect();
    writer.write_image_data(&rgba).map_err(|e| fail(&e))?;
    writer.finish().map_err(|e| fail(&e))
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)]
mod tests {
    use egui::Color32;

    use super::*;

    #[test]
    fn png_round_trips_size_and_pixels() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("graph.png");
        let mut image = ColorImage::filled([3, 2], Color32::from_rgb(10, 20, 30));
        image.pixels[4] = Color32::from_rgb(200, 100, 50);
        write_png(&path, &image).unwrap();
        let decoder = png::Decoder::new(std::io::BufReader::new(File::open(&path).unwrap()));
        let mut reader = decoder.read_info().unwrap();
        let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buffer).unwrap();
        assert_eq!((info.width, info.height), (3, 2));
        assert_eq!(&buffer[16..20], &[200, 100, 50, 255]);
        assert!(write_png(&path, &ColorImage::filled([0, 0], Color32::BLACK)).is_err());
    }
}
